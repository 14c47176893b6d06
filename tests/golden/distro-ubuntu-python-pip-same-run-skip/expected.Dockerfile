FROM ubuntu:22.04
RUN apt-get update && apt-get install -y python3 python3-pip gcc && pip3 install flask
WORKDIR /app
COPY . .
CMD ["python3", "app.py"]
