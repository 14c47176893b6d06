FROM cgr.dev/chainguard/python:latest-dev AS build
USER root
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY . .
RUN <<EOF
pip install -r requirements.txt
EOF
RUN pip install -r requirements.txt

FROM cgr.dev/chainguard/python:latest
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["-m", "app"]
