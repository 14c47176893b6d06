FROM ruby:3.3 AS build
RUN apt-get update && apt-get install -y build-essential libsqlite3-dev
RUN groupadd --system rails && useradd rails --create-home --gid rails
WORKDIR /rails
COPY . .
RUN bundle install && mkdir /data && chown -R rails:rails db tmp /data

FROM ruby:3.3-slim
WORKDIR /rails
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system rails && useradd rails --create-home --gid rails
RUN mkdir -p /data && chown -R rails:rails /data
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /rails /rails
RUN chown -R rails:rails /rails/db /rails/tmp
USER rails
VOLUME /data
CMD ["bin/rails", "server"]
