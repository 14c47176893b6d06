FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci && mv node_modules /node_modules
COPY . .
RUN npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
COPY --from=build /app /app
CMD ["node", "server.js"]
