FROM reg.mini.dev/python:3.12-dev AS build
RUN pip install -r requirements.txt
FROM reg.mini.dev/python:3.12
COPY --from=build /usr/local /usr/local
CMD ["python", "app.py"]
