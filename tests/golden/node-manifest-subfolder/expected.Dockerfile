FROM node:20 AS build
WORKDIR /opt/my/service
COPY service/package*.json ./
RUN npm install
COPY service .
RUN npm prune --omit=dev

FROM node:20-slim
WORKDIR /opt/my/service
COPY --from=build /opt/my/service /opt/my/service
EXPOSE 1300
ENTRYPOINT ["node", "/opt/my/service/server.js"]
