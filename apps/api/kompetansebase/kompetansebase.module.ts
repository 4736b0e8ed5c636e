import { Module } from '@nestjs/common';
import { KompetansebaseAdherence } from './adherence.service.js';
import { CommandsModule } from '../commands/commands.module.js';
import { KompetansebaseController } from './kompetansebase.controller.js';
import { KompetansebaseService } from './kompetansebase.service.js';

/** Kompetansebase orders, the base's queue, its assignments' steps and its adherence (issue 17). */
@Module({
  imports: [CommandsModule],
  controllers: [KompetansebaseController],
  providers: [KompetansebaseService, KompetansebaseAdherence],
})
export class KompetansebaseModule {}
