FROM python:3.12 AS build
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod +x /usr/local/bin/entrypoint.sh

FROM python:3.12-slim
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY --from=build /usr/local/bin/entrypoint.sh /usr/local/bin/entrypoint.sh
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENTRYPOINT ["entrypoint.sh"]
CMD ["gunicorn", "app:app"]
