FROM ubuntu:22.04 AS build
RUN apt-get update && apt-get install -y python3 python3-pip python3-venv gcc libpq-dev
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /srv
COPY . .
RUN pip3 install -r requirements.txt

FROM ubuntu:22.04
WORKDIR /srv
RUN apt-get update && apt-get install -y --no-install-recommends python3 libpq5 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv /srv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
EXPOSE 8000
CMD ["python3", "app.py"]
