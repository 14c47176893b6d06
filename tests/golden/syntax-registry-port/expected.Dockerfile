FROM registry.internal:5000/golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o /app/server .

FROM registry.internal:5000/static:latest
WORKDIR /app
COPY --from=build /app/server /app/server
CMD ["/app/server"]
