FROM golang:1.22 AS build
ENV CGO_ENABLED=0
RUN apt-get update && apt-get install -y curl
WORKDIR /app
COPY . .
RUN go build -o /app/server .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=build /app/server /app/server
HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
CMD ["/app/server"]
