FROM python:3.12 AS build
RUN useradd -m appuser
WORKDIR /app
COPY --chown=appuser:appuser requirements.txt .
USER appuser
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=appuser:appuser snippets.py .

FROM python:3.12-slim
WORKDIR /app
RUN useradd -m appuser
COPY --chown=appuser --from=build /home/appuser/.local /home/appuser/.local
COPY --chown=appuser --from=build /app /app
USER appuser
CMD ["python3", "snippets.py"]
