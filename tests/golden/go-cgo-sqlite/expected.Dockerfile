FROM golang:1.22-bookworm AS build
WORKDIR /app
COPY . .
RUN go build -o /app/bin/store .

FROM gcr.io/distroless/base-debian12
WORKDIR /app
COPY --from=build /app/bin/store /app/bin/store
EXPOSE 8080
CMD ["/app/bin/store"]
