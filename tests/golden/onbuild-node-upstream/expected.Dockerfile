FROM node:8 AS build
WORKDIR /usr/src/app
ARG NODE_ENV
ENV NODE_ENV=$NODE_ENV
COPY package.json /usr/src/app/
RUN npm install && npm cache clean --force
COPY . /usr/src/app

FROM node:8-slim
ARG NODE_ENV
WORKDIR /usr/src/app
ENV NODE_ENV=$NODE_ENV
COPY --from=build /usr/src/app /usr/src/app
EXPOSE 3000
CMD ["npm", "start"]
