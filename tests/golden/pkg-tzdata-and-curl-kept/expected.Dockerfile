FROM ruby:3.3 AS build
RUN apt-get update && apt-get install -y curl tzdata libjemalloc2
RUN apt-get update && apt-get install -y build-essential git libyaml-dev
WORKDIR /app
COPY . .
RUN bundle install

FROM ruby:3.3-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl tzdata libjemalloc2 libyaml-0-2 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
CMD ["bin/rails", "server"]
