FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci
RUN npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
COPY --from=build /app /app
HEALTHCHECK CMD node /app/healthcheck.js
USER node
CMD ["node", "server.js"]
