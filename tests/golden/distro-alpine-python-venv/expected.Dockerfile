FROM alpine:3.20 AS build
RUN apk add --no-cache python3 py3-pip build-base python3-dev
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY . .
RUN pip install --break-system-packages -r requirements.txt

FROM alpine:3.20
WORKDIR /app
RUN apk add --no-cache python3 libstdc++
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["python3", "app.py"]
