FROM registry.access.redhat.com/ubi9/python-312 AS build
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

FROM registry.access.redhat.com/ubi9/python-312-minimal:latest
WORKDIR /opt/app-root/src
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/app-root/src /opt/app-root/src
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["python", "app.py"]
