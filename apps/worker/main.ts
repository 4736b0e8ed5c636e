import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

// Nest owns the shutdown signals; the Temporal runtime must not stop the worker behind its back.
Runtime.install({ shutdownSignals: [] });

const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
app.useLogger(app.get(Logger));
app.enableShutdownHooks();
await app.init();
