FROM node:20 AS build
WORKDIR /opt/server
COPY package.json .
RUN npm install --omit=dev
COPY server.js .

FROM node:20-slim
WORKDIR /opt/server
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/server /opt/server
EXPOSE 8080
CMD ["node", "server.js"]
