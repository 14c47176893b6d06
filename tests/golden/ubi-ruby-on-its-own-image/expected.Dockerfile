FROM registry.access.redhat.com/ubi9/ruby-33:latest AS build
USER root
WORKDIR /app
RUN apt-get update && apt-get install -y build-essential libpq-dev libsqlite3-dev
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .

FROM registry.access.redhat.com/ubi9/ruby-33:latest
WORKDIR /app
USER root
RUN dnf install -y libpq sqlite-libs && dnf clean all
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
USER 1001
CMD ["ruby", "app.rb"]
