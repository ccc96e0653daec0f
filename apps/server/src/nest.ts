/** The Nest 12 packages are ECMAScript modules; Node 20.19+ loads them with require() (require(esm)),
 *  but TypeScript's `module: node16` refuses such imports (TS1479). This file is the one place that
 *  imports them, with the check silenced; everything else imports Nest from here. */
// @ts-ignore TS1479: require(esm) is supported by the Node versions we run on (>= 20.19)
export { Controller, Catch, Injectable, Inject, Optional, Module, UseGuards, UseInterceptors } from '@nestjs/common';
// @ts-ignore TS1479
export type { ArgumentsHost, CallHandler, CanActivate, DynamicModule, NestInterceptor, ExecutionContext, INestMicroservice, LoggerService, Provider, RpcExceptionFilter } from '@nestjs/common';
// @ts-ignore TS1479
export { GrpcMethod, RpcException, ServerGrpc } from '@nestjs/microservices';
// @ts-ignore TS1479
export type { GrpcOptions } from '@nestjs/microservices';
// @ts-ignore TS1479
export { NestFactory } from '@nestjs/core';
