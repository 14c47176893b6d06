FROM python:2.7-onbuild
CMD ["python", "./app.py"]
