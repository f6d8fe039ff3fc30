import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { INestApplication, INestMicroservice, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { HttpsOptions } from '@nestjs/common/interfaces/external/https-options.interface';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommonConfig, ConfigError, HttpListenConfig, loadOpsConfig, redact, ServiceName } from '@iis/config';
import { connectNats, setJetStreamReplicas } from '@iis/messaging';
import { DomainExceptionFilter } from './domain-exception.filter';
import { CorrelationInterceptor, createJsonLog, JsonLogger, ReadinessCheck, requestIdMiddleware, serviceRegistry, startOpsServer } from './observability';
import { DomainRpcExceptionFilter } from './rpc-exception.filter';
import { natsServerOptions } from './nats-options';

export interface HttpListener {
  host: string;
  port: number;
  httpsOptions?: HttpsOptions;
  /** Express body parsing off: the service parses its own bodies (EST). */
  rawBody?: boolean;
  /** WWW-Authenticate value for 401 answers, e.g. 'Basic realm="est"' or 'Bearer'. */
  authChallenge: string;
}

export interface ServiceSpec<C extends CommonConfig> {
  name: string;
  loadConfig: () => C;
  module: (config: C) => Type<unknown>;
  queue: string;
  /** Present when the service also listens on HTTP. */
  http?: (config: C) => HttpListener | Promise<HttpListener>;
  /** Runs before the module is built: open what the module's providers need. */
  prepare?: (config: C) => Promise<void>;
  beforeListen?: (app: INestApplication | INestMicroservice, config: C) => Promise<void>;
  afterListen?: (app: INestApplication | INestMicroservice, config: C) => Promise<void>;
}

/** Message a service sends its launcher (over the fork IPC channel) once it takes requests. */
export interface ReadyMessage {
  type: 'ready';
  service: string;
  pid: number;
}

/** Health, readiness (NATS and the database answer) and metrics on the service's operations port. */
async function startOperations(name: string, app: INestApplication | INestMicroservice, config: CommonConfig, ops: HttpListenConfig, logger: Logger): Promise<void> {
  const probe = await connectNats(config.natsUrl, `iis-${name}-ops`);
  const checks: ReadinessCheck[] = [{ name: 'nats', probe: () => (probe.isClosed() ? Promise.reject(new Error('connection closed')) : probe.flush()) }];
  let ds: DataSource | undefined;
  try {
    ds = app.get<DataSource>(getDataSourceToken(), { strict: false });
  } catch {
    ds = undefined; // a service without a database
  }
  if (ds) checks.push({ name: 'database', probe: () => ds!.query('SELECT 1') });
  const server = await startOpsServer(ops.host, ops.port, checks, serviceRegistry(name));
  // Port 0 (e.g. a second instance started by hand) takes any free port: say which.
  const port = (server.address() as AddressInfo).port;
  logger.log(`operations on http://${ops.host}:${port} (/health/live, /health/ready, /metrics)`);
}

/**
 * Starts one service process: typed config (a bad variable stops it, naming the variable),
 * the Nest app with NATS handlers in the service's queue group, optional HTTP, and one
 * error mapping for each edge. Reports readiness to a launcher and stops cleanly on SIGTERM.
 */
export async function bootstrapService<C extends CommonConfig>(spec: ServiceSpec<C>): Promise<void> {
  let config: C;
  let ops: HttpListenConfig;
  try {
    config = spec.loadConfig();
    ops = loadOpsConfig(spec.name as ServiceName);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${spec.name}: configuration error: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  setJetStreamReplicas(config.jetstreamReplicas);
  const jsonLogger = new JsonLogger(createJsonLog(spec.name, config.logLevel));
  Logger.overrideLogger(jsonLogger);
  const logger = new Logger(spec.name);
  try {
    if (spec.prepare) await spec.prepare(config);
    const nats = natsServerOptions(config.natsUrl, spec.queue, `iis-${spec.name}`);
    let app: INestApplication | INestMicroservice;
    if (spec.http) {
      // The listener spec comes first: it may prepare what the module needs (a TLS identity).
      const http = await spec.http(config);
      const module = spec.module(config);
      const web = await NestFactory.create(module, {
        logger: jsonLogger,
        httpsOptions: http.httpsOptions,
        bodyParser: !http.rawBody,
      });
      // No "X-Powered-By: Express": the listener says nothing about what it runs on.
      (web.getHttpAdapter().getInstance() as { disable?: (setting: string) => void }).disable?.('x-powered-by');
      web.useGlobalFilters(new DomainExceptionFilter(http.authChallenge));
      web.use(requestIdMiddleware(new Logger('http')));
      web.useGlobalInterceptors(new CorrelationInterceptor());
      // The microservice inherits the filter, which maps HTTP and NATS errors each their own way.
      web.connectMicroservice(nats, { inheritAppConfig: true });
      web.enableShutdownHooks();
      app = web;
      if (spec.beforeListen) await spec.beforeListen(web, config);
      await web.startAllMicroservices();
      await web.listen(http.port, http.host);
      logger.log(`listening on ${http.httpsOptions ? 'https' : 'http'}://${http.host}:${http.port}`);
    } else {
      const ms = await NestFactory.createMicroservice(spec.module(config), { ...nats, logger: jsonLogger });
      ms.useGlobalFilters(new DomainRpcExceptionFilter());
      ms.useGlobalInterceptors(new CorrelationInterceptor());
      ms.enableShutdownHooks();
      app = ms;
      if (spec.beforeListen) await spec.beforeListen(ms, config);
      await ms.listen();
    }
    if (spec.afterListen) await spec.afterListen(app, config);
    await startOperations(spec.name, app, config, ops, logger);
    logger.log(`ready (NATS ${redact(config.natsUrl)}, queue ${spec.queue})`);
    const ready: ReadyMessage = { type: 'ready', service: spec.name, pid: process.pid };
    process.send?.(ready);
  } catch (e) {
    const err = e as Error & { code?: string };
    process.stderr.write(`${spec.name}: failed to start: ${err.code === 'EADDRINUSE' ? `address in use (${err.message})` : err.message}\n`);
    if (config.logLevel === 'debug' && err.stack) process.stderr.write(err.stack + '\n');
    process.exit(1);
  }
}
