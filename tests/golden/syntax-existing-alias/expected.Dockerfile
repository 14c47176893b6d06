FROM golang:1.21 AS dist
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o app .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=dist /app/app /app/app
CMD ["./app"]
