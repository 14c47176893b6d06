FROM python:3.12 AS build
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /app/
RUN curl -sSL https://install.python-poetry.org | POETRY_HOME=/opt/poetry python && \
    /opt/poetry/bin/poetry config virtualenvs.create false
COPY ./pyproject.toml ./poetry.lock* /app/
ARG INSTALL_DEV=false
RUN bash -c "if [ $INSTALL_DEV == 'true' ] ; then /opt/poetry/bin/poetry install --no-root ; else /opt/poetry/bin/poetry install --no-root --only main ; fi"
ENV PYTHONPATH=/app
COPY ./worker-start.sh /worker-start.sh
COPY ./app /app/app
RUN chmod +x /worker-start.sh

FROM python:3.12-slim
WORKDIR /app/
ENV PYTHONPATH=/app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY --from=build /worker-start.sh /worker-start.sh
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["bash", "/worker-start.sh"]
