FROM node:22-trixie AS build
WORKDIR /usr/src/app
ARG NODE_ENV
ENV NODE_ENV=$NODE_ENV
COPY package.json /usr/src/app/
RUN npm install && npm cache clean --force
COPY . /usr/src/app

FROM gcr.io/distroless/nodejs22-debian13:nonroot
ARG NODE_ENV
WORKDIR /usr/src/app
ENV NODE_ENV=$NODE_ENV
COPY --from=build /usr/src/app /usr/src/app
EXPOSE 3000
CMD ["server.js"]
