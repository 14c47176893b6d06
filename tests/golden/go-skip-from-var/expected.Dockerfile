ARG BASE
FROM ${BASE}
RUN go build -o /x .
CMD ["/x"]
