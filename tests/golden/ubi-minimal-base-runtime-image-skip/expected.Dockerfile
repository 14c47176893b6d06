FROM registry.access.redhat.com/ubi9/ubi-minimal:9.7
WORKDIR /work/
RUN chown 1001 /work
COPY --chown=1001:root target/app-runner /work/application
USER 1001
ENTRYPOINT ["./application"]
