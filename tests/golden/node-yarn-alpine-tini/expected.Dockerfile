FROM node:18-alpine AS build
RUN apk add --no-cache tini
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile && yarn build
RUN yarn install --production --ignore-scripts --prefer-offline

FROM node:18-alpine
WORKDIR /app
RUN apk add --no-cache tini
COPY --from=build /app /app
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "server.js"]
