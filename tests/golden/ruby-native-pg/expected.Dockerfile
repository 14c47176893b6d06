FROM ruby:3.2-bookworm AS build
RUN apt-get update -qq && apt-get install -y build-essential libpq-dev nodejs
WORKDIR /myapp
COPY . .
RUN bundle install

FROM ruby:3.2-slim-bookworm
WORKDIR /myapp
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 nodejs && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /myapp /myapp
EXPOSE 3000
CMD ["rails", "server", "-b", "0.0.0.0"]
