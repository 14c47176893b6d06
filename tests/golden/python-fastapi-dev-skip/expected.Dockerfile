FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir "fastapi[standard]"
CMD ["fastapi", "dev", "--host", "0.0.0.0", "main.py"]
