FROM ubuntu:22.04
RUN apt-get update && apt-get install -y python3 python3-pip python3-yaml gcc
WORKDIR /app
COPY . .
RUN pip3 install -r requirements.txt
CMD ["python3", "app.py"]
