FROM python:3.12 AS build
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN apt-get update && apt-get install -y curl build-essential && curl -sSL https://sdk.cloud.google.com | bash -s -- --disable-prompts
ENV PATH="/root/google-cloud-sdk/bin:${PATH}"
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt

FROM python:3.12-slim
WORKDIR /app
ENV PATH="/root/google-cloud-sdk/bin:${PATH}"
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY --from=build /root/google-cloud-sdk /root/google-cloud-sdk
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["python", "main.py"]
