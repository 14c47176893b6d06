FROM registry.access.redhat.com/ubi9/nodejs-20:latest AS build
USER root

WORKDIR /app

RUN useradd -m appuser

COPY package*.json ./
RUN npm ci --omit=dev

COPY --chown=appuser:appuser . .

FROM registry.access.redhat.com/ubi9/nodejs-20-minimal:latest
WORKDIR /app
USER root
RUN useradd -m appuser
COPY --chown=appuser:appuser --from=build /app /app

USER appuser

CMD [ "node", "server.js" ]
