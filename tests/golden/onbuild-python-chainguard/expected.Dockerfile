FROM cgr.dev/chainguard/python:latest-dev AS build
USER root
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /usr/src/app
COPY requirements.txt /usr/src/app/
RUN pip install --no-cache-dir -r requirements.txt
COPY . /usr/src/app

FROM cgr.dev/chainguard/python:latest
WORKDIR /usr/src/app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /usr/src/app /usr/src/app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
EXPOSE 5000
CMD ["./app.py"]
