# shenbao worker image. Build: docker build -t shenbao .
# Run: docker run --env-file shenbao.env -v shenbao-mail:/data shenbao            (the service)
#      docker run --rm -v "$PWD:/in" shenbao parse /in/form.docx                 (one-off commands)
# Redis, the mailbox and the SMTP relay are the deployment's own; set them in the env file.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY scripts ./scripts
COPY test ./test
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
# OCR and PDF rendering let shenbao recognise a stamped scan by its content; optional.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim poppler-utils imagemagick tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production STORAGE_DIR=/data/mail
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The dashboard's templates and stylesheet are read at run time from src/http (tsc leaves them there).
COPY --from=build /app/src/http/views ./src/http/views
COPY --from=build /app/src/http/assets ./src/http/assets
COPY package.json ./
COPY bin ./bin
COPY campaigns ./campaigns
COPY config ./config
RUN mkdir -p /data/mail && chown -R node:node /data
USER node
VOLUME /data
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/shenbao.js"]
CMD ["worker"]
