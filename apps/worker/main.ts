import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
app.useLogger(app.get(Logger));
app.enableShutdownHooks();
// Started with an IPC channel (by `npm start`): when the launcher is gone (killed), stop as on SIGTERM.
if (process.connected) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
await app.init();
