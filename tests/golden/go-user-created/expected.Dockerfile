FROM golang:1.22 AS build
ENV CGO_ENABLED=0
RUN useradd -u 10001 appuser
WORKDIR /app
COPY . .
RUN go build -o /app/server .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=build /app/server /app/server
USER 10001
CMD ["/app/server"]
