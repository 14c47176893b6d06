FROM reg.mini.dev/python:3.13.5
WORKDIR /app
COPY . .
RUN ["python", "-m", "compileall", "."]
CMD ["python", "app.py"]
