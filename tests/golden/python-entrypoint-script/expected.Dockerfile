FROM python:3.12-slim AS build
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN apt-get update && apt-get install -y netcat-openbsd
WORKDIR /usr/src/app
COPY . .
RUN pip install -r requirements.txt

FROM python:3.12-slim
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y --no-install-recommends netcat-openbsd && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv
COPY --from=build /usr/src/app /usr/src/app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENTRYPOINT ["/usr/src/app/entrypoint.sh"]
