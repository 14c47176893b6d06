FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o server .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=build /app/server /app/server
EXPOSE 8080
CMD ["./server", "--port", "8080"]
