import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module.js';
import { PlacementListController } from './placement-list.controller.js';
import { PlacementListService } from './placement-list.service.js';
import { PlacementsController } from './placements.controller.js';
import { PlacementsService } from './placements.service.js';

@Module({
  imports: [CaseNumbersModule],
  controllers: [PlacementListController, PlacementsController],
  providers: [PlacementsService, PlacementListService],
  exports: [PlacementsService],
})
export class PlacementsModule {}
