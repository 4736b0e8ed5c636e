import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { KompetansebaseController } from './kompetansebase.controller.js';
import { KompetansebaseService } from './kompetansebase.service.js';

/** Kompetansebase orders, the base's queue and its assignments' steps (issue 17). */
@Module({
  imports: [CommandsModule],
  controllers: [KompetansebaseController],
  providers: [KompetansebaseService],
})
export class KompetansebaseModule {}
