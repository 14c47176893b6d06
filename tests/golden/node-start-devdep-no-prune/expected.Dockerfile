FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci

FROM node:20-slim
WORKDIR /app
COPY --from=build /app /app
CMD ["npm", "start"]
