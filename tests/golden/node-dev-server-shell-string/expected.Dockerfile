FROM node:20
WORKDIR /data
COPY . .
RUN npm install
CMD [ "/bin/bash -c 'npm run dev'" ]
