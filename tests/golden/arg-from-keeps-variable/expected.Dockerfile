ARG RUBY_VERSION=3.3.4
FROM ruby:$RUBY_VERSION AS build
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y build-essential libpq-dev && bundle install

FROM ruby:${RUBY_VERSION}-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
CMD ["bundle", "exec", "puma"]
