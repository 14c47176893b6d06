FROM python:3.12 AS build
RUN useradd -m app
USER app
WORKDIR /home/app/src
COPY . .
RUN pip install --user -r requirements.txt
ENV PATH=/home/app/.local/bin:$PATH

FROM python:3.12-slim
WORKDIR /home/app/src
ENV PATH=/home/app/.local/bin:$PATH
RUN useradd -m app
COPY --chown=app --from=build /home/app/.local /home/app/.local
COPY --chown=app --from=build /home/app/src /home/app/src
USER app
CMD ["python", "run.py"]
