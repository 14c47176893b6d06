# Build and run the API
FROM cgr.dev/chainguard/node:latest-dev AS build
USER root
# app folder
WORKDIR /app
# dependencies first for caching
COPY package*.json ./
RUN npm ci
# sources
COPY . .
RUN npm prune --omit=dev

FROM cgr.dev/chainguard/node:latest
WORKDIR /app
COPY --from=build /app /app
# port
EXPOSE 3000
# start
CMD ["server.js"]
