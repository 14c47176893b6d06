FROM python:3.12-slim
RUN apt-get update && apt-get install -y netcat-openbsd
WORKDIR /usr/src/app
COPY . .
RUN pip install -r requirements.txt
ENTRYPOINT ["/usr/src/app/entrypoint.sh"]
