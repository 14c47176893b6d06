FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app . && mkdir -p /var/lib/app

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=build /usr/local/bin/app /usr/local/bin/app
VOLUME /var/lib/app
CMD ["app"]
