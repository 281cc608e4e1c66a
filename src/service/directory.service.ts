import { DataSource } from "typeorm";
import type { Role } from "../../workflows/actor";
import { badInput } from "../common/errors";
import { Department, User } from "../entity";
import { findOrFail } from "./common";
import { Connection, PageArgs, paginate } from "../api/pagination";

export interface NewUser {
  name: string;
  email: string;
  roles: Role[];
  departmentId: number | null;
}

/** Departments and users: who works where, with which roles. */
export class DirectoryService {
  constructor(private readonly dataSource: DataSource) {}

  async createDepartment(name: string): Promise<Department> {
    const repo = this.dataSource.getRepository(Department);
    if (await repo.existsBy({ name })) throw badInput("name", `a department named "${name}" exists already`);
    return repo.save(repo.create({ name }));
  }

  async createUser(input: NewUser): Promise<User> {
    const repo = this.dataSource.getRepository(User);
    if (input.roles.length === 0) throw badInput("roles", "at least one role is required");
    if (input.departmentId !== null) {
      await findOrFail(this.dataSource.manager, Department, input.departmentId, "Department");
    }
    if (await repo.existsBy({ email: input.email })) throw badInput("email", `${input.email} is taken`);
    return repo.save(repo.create(input));
  }

  listDepartments(page: PageArgs): Promise<Connection<Department>> {
    return paginate(this.dataSource.getRepository(Department).createQueryBuilder("d"), "d", page);
  }

  listUsers(filter: { departmentId: number | null }, page: PageArgs): Promise<Connection<User>> {
    const query = this.dataSource.getRepository(User).createQueryBuilder("u");
    if (filter.departmentId) query.andWhere("u.departmentId = :departmentId", filter);
    return paginate(query, "u", page);
  }

  async findUserByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ email });
  }
}
