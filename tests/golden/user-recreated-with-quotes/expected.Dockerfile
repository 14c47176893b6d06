FROM python:3.12 AS build
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN adduser --disabled-password --gecos "" myuser

FROM python:3.12-slim
WORKDIR /app
RUN adduser --disabled-password --gecos '' myuser
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
USER myuser
CMD ["python", "main.py"]
