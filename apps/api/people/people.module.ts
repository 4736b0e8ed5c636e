import { Module } from '@nestjs/common';
import { PeopleController } from './people.controller.js';
import { PeopleDirectoryService } from './people.service.js';

/** The people page's API: the staff directory (administrators). SCIM provisioning is apps/api/scim. */
@Module({ controllers: [PeopleController], providers: [PeopleDirectoryService] })
export class PeopleModule {}
