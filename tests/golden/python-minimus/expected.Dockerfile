FROM reg.mini.dev/python:3.13.5-dev AS build
USER root
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt

FROM reg.mini.dev/python:3.13.5
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENTRYPOINT []
CMD ["python", "main.py"]
