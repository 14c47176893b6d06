FROM golang:1.22
WORKDIR /workdir
COPY . /workdir
RUN make clean && make all && cp bin/* /usr/bin/
EXPOSE 8888
ENTRYPOINT ["cfssl"]
CMD ["--help"]
