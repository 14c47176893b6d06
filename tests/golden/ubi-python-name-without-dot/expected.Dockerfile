FROM registry.access.redhat.com/ubi9/python-312:latest AS build
USER root
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

FROM registry.access.redhat.com/ubi9/python-312-minimal:latest
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["python", "main.py"]
